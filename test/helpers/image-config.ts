// The smallest image config the store accepts: no layers, one command. Tests that only name and look
// up images (not run them) tell images apart by the command.
export const minimalImageConfig = (cmd: string) => ({
  architecture: 'amd64',
  os: 'linux',
  config: { Cmd: [cmd] },
  rootfs: { type: 'layers', diff_ids: [] },
});
