/** Comments a proposal's view carries: the newest ones (the rest are paged by `GET /proposals/:id/comments`). */
export const RECENT_COMMENTS = 10;
/** Action items a proposal's view lists: the first opened (the rest by `GET /groups/:groupId/action-items?proposal=`). */
export const LISTED_ACTION_ITEMS = 50;
