// Timer schedules (NCRONTAB, six fields, UTC on Flex Consumption), each overridable by an app setting.

export const SCHEDULE_SETTINGS = {
  nodes: { setting: 'NODE_SCALER_SCHEDULE', fallback: '0 */1 * * * *' },
  workers: { setting: 'WORKER_SCALER_SCHEDULE', fallback: '*/30 * * * * *' },
  descheduler: { setting: 'DESCHEDULER_SCHEDULE', fallback: '0 */10 * * * *' },
} as const;

export function scheduleFor(scaler: keyof typeof SCHEDULE_SETTINGS, env: NodeJS.ProcessEnv = process.env): string {
  const { setting, fallback } = SCHEDULE_SETTINGS[scaler];
  return env[setting]?.trim() || fallback;
}
