export {
  isLimitName,
  type LimitName,
  type LimitOverride,
  limitDefaults,
  listLimitOverrides,
  setLimitOverride,
} from './limits.js';
export {
  consumeQuota,
  type DailyQuota,
  dailyQuotaResetsAt,
  dailyQuotas,
  QuotaExceededError,
  quotaUsed,
  releaseQuota,
} from './quota-counter.js';
export { type RateDecision, RateLimiter } from './rate-limiter.js';
