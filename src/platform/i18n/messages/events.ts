/** Messages of events (活動): shared words, registration, the waitlist and the emails, in the three languages side by side. The English keys define the shape. */
export const eventsEn = {
  'nav.events': 'Events',
  'events.title': 'Events',
  'events.type.promotion': 'Investment promotion',
  'events.type.symposium': 'Symposium',
  'events.type.forum': 'Forum',
  'events.type.exhibition': 'Trade fair or exhibition',
  'events.type.study-tour': 'Study tour or visit',
  'events.type.training': 'Training',
  'events.type.other': 'Other event',
  'events.registration.state.pending': 'Awaiting approval',
  'events.registration.state.confirmed': 'Confirmed',
  'events.registration.state.waitlisted': 'On the waitlist',
  'events.registration.state.cancelled': 'Cancelled',
  'events.registration.state.attended': 'Attended',
  'events.registration.state.rejected': 'Not accepted',
};

type Shape = typeof eventsEn;

export const eventsZhHant: Shape = {
  'nav.events': '活動',
  'events.title': '活動',
  'events.type.promotion': '招商推介',
  'events.type.symposium': '座談會',
  'events.type.forum': '論壇',
  'events.type.exhibition': '展覽及交易會',
  'events.type.study-tour': '考察交流',
  'events.type.training': '培訓',
  'events.type.other': '其他活動',
  'events.registration.state.pending': '待審批',
  'events.registration.state.confirmed': '已確認',
  'events.registration.state.waitlisted': '候補中',
  'events.registration.state.cancelled': '已取消',
  'events.registration.state.attended': '已出席',
  'events.registration.state.rejected': '未獲接納',
};

export const eventsZhHans: Shape = {
  'nav.events': '活动',
  'events.title': '活动',
  'events.type.promotion': '招商推介',
  'events.type.symposium': '座谈会',
  'events.type.forum': '论坛',
  'events.type.exhibition': '展览及交易会',
  'events.type.study-tour': '考察交流',
  'events.type.training': '培训',
  'events.type.other': '其他活动',
  'events.registration.state.pending': '待审批',
  'events.registration.state.confirmed': '已确认',
  'events.registration.state.waitlisted': '候补中',
  'events.registration.state.cancelled': '已取消',
  'events.registration.state.attended': '已出席',
  'events.registration.state.rejected': '未获接纳',
};
