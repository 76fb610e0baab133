export type { ChildLog, Logger, MainLogLevel } from './types.js';
export { FileChildLog, openChildLogFile, type FileChildLogOptions } from './child-log.js';
export { openChildLogs, type ChildLogs, type OpenChildLogsOptions } from './open-child-logs.js';
export {
  autoLogPattern,
  createAutoLogFile,
  purgeAutoLogs,
  resolveAutoLogs,
  type AutoLogOptions,
  type Channel,
  type PurgeResult,
} from './auto-names.js';
export { AnsiStripper } from './ansi.js';
export { MainLog, createMainLog, formatLogLine, formatTimestamp, type MainLogOptions } from './main-log.js';
export { LEVEL_BY_CONFIG_NAME, LEVEL_NUMBERS, isConfigLogLevel, levelNumberOf } from './levels.js';
export { memoryLogger, nullLogger, type LoggedLine, type MemoryLogger } from './memory-logger.js';
export { readLogFile, tailLogFile } from './log-reader.js';
export { RotatingFile, type RotationPolicy } from './rotating-file.js';
export { LogFileError } from './log-file-error.js';
