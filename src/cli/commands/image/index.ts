// `gantry image …`: the image command group.
import type { Command } from 'commander';
import { registerImagePull } from './pull.ts';
import { registerImagePush } from './push.ts';
import { registerImageList } from './list.ts';
import { registerImageInspect } from './inspect.ts';
import { registerImageManage } from './manage.ts';
import { registerImageArchive } from './archive.ts';
import { registerImageBuild } from './build.ts';

export function registerImageCommands(program: Command): void {
  const image = program.command('image').description('manage images');
  registerImagePull(image);
  registerImagePush(image);
  registerImageList(image);
  registerImageInspect(image);
  registerImageManage(image);
  registerImageArchive(image);
  registerImageBuild(image);
}
