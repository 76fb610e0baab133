import type { ProcessConfig } from '../config/types.js';

/**
 * A child's environment: the daemon's (with [supervisord] environment), the
 * SUPERVISOR_* variables, then the program's own `environment` on top.
 */
export function childEnvironment(
  config: Pick<ProcessConfig, 'name' | 'environment' | 'serverurl'>,
  groupName: string,
  baseEnv: Readonly<Record<string, string>>,
  defaultServerUrl: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = { ...baseEnv, SUPERVISOR_ENABLED: '1' };
  const serverUrl = config.serverurl ?? defaultServerUrl;
  if (serverUrl) env.SUPERVISOR_SERVER_URL = serverUrl;
  env.SUPERVISOR_PROCESS_NAME = config.name;
  env.SUPERVISOR_GROUP_NAME = groupName;
  return Object.assign(env, config.environment);
}
