/**
 * Relative tolerance for comparing times with deadlines: sums of fractional WCETs may land a few
 * ulps above an exactly representable deadline.
 */
export const TIME_EPS = 1e-9;
