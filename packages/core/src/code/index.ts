export {
  CodeError,
  type CodeErrorCode,
  type CodeLimits,
  type CodeResult,
  defaultCodeLimits,
  runCode,
} from './run-code.js';
