/**
 * Where an OS notification (or the browser host's toast) may take the operator: an alert or a
 * campaign. One pattern for the host port, the `alert.fired` event and the shell's click.
 */
export const ALERT_NOTICE_PATH = /^\/alerts\/[A-Za-z0-9_.:-]{1,120}$/;
export const CAMPAIGN_NOTICE_PATH = /^\/campaigns\/[A-Za-z0-9-]{1,64}$/;
export const NOTICE_PATH = /^\/(?:alerts\/[A-Za-z0-9_.:-]{1,120}|campaigns\/[A-Za-z0-9-]{1,64})$/;

/** The renderer event a click on a notice sends: each path kind has its own, checked by its own pattern. */
export const noticeOpenEvent = (path: string): 'campaign.open' | 'alert.open' => (CAMPAIGN_NOTICE_PATH.test(path) ? 'campaign.open' : 'alert.open');
