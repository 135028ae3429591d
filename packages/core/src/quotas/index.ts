export {
  isLimitName,
  type LimitName,
  type LimitOverride,
  limitDefaults,
  listLimitOverrides,
  setLimitOverride,
} from './limits.js';
export { type RateDecision, RateLimiter } from './rate-limiter.js';
