/** How long a share link works, in days: the owner picks one. No imports: the web app reads it too. */
export const SHARE_LINK_DAYS = [7, 30, 90] as const;
