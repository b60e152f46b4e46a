/** Steps an action item's view carries: the latest ones (its whole history is paged by its history route). */
export const RECENT_STEPS = 10;
/** Items the dashboard lists as overdue and as due soon, each (its counts cover them all). */
export const DASHBOARD_LIST = 100;
