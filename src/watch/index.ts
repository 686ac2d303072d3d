// watch's public surface: a session over a project handle, its events and their terminal form.
export { startWatch, type WatchOptions, type WatchSession } from './session.ts';
export { formatEvent, type WatchEvent, type WatchPhase } from './events.ts';
