/** A number of working days, in each language: for the messages of enquiries. */
export const days = (n: number) => (n === 1 ? '1 working day' : `${n.toLocaleString('en-GB')} working days`);

export const hantDays = (n: number) => `${n} 個工作天`;

export const hansDays = (n: number) => `${n} 个工作日`;
