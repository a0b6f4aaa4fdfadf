/**
 * onnxruntime-node's native library ships Microsoft's telemetry: unless told otherwise, every process that
 * creates a session writes a device id and an event database under ~/.cache/Microsoft/DeveloperTools and
 * an empty mat-debug-<pid>.log in the temp folder. GreenLens promises to work offline and collect
 * nothing, so every process that loads onnxruntime gets ORT_DISABLE_TELEMETRY=1 before the addon is
 * required. Node writes process.env through to the C environment, so setting it in-process suffices;
 * test/unit/ort-telemetry.test.ts checks both ways with an empty home and temp folder.
 */

/** The environment variable, and its value, that turn onnxruntime's telemetry off. */
export const ORT_TELEMETRY_OFF = { ORT_DISABLE_TELEMETRY: '1' } as const;

/** Turns onnxruntime's telemetry off in `env` (this process's environment by default) and returns it. */
export function disableOrtTelemetry(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  Object.assign(env, ORT_TELEMETRY_OFF);
  return env;
}

/** A copy of `env` for a child process that may load onnxruntime, with its telemetry off. */
export function envWithOrtTelemetryOff(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...ORT_TELEMETRY_OFF };
}
