/** Table types of enquiries (諮詢): topics and routing, cases, their timeline, time limits and tracking codes. */
export interface EnquiryTables {}
