/** The Home tab's buttons to the pages of pending handoffs; the value is the page's offset. */
export const HOME_PAGE_ACTION = 'home_pending_page';
