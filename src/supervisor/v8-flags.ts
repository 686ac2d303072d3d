// The supervisor's V8 flags, shared by its spawn and by the build, whose code cache for the
// supervisor bundle only serves a process started with these same flags.
// Lite mode (no optimizing compiler) and a 1 MiB young generation: 66 → 49 MiB resident for 10
// containers (bench/RESULTS.md). The supervisor runs little JS; sockets and pipes are native.
// no-expose-wasm: lite mode warns otherwise.
export const SUPERVISOR_V8_FLAGS = '--lite-mode --no-expose-wasm --max-semi-space-size=1';
