export { type Decision, type Grant, LimiterKeyError, type LimiterKeys, type LimiterTimers, RateLimiter } from './limiter';
export { allowedInWindow, DEFAULT_LIMITS, LAYERS, type LayerLimit, type LayerName, LimiterConfigError, type LimiterConfig, parseLimiterConfig, type Rule, rulesOf } from './rules';
