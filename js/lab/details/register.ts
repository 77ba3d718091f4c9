// "Register…" on a logged model in run details: ask for the model name (existing or new)
// and an alias, register through the server's registry route, then show the new version
// in the Models panel.
import { Notification } from '@jupyterlab/apputils';
import { CommandRegistry } from '@lumino/commands';

import { messageOf } from '../../common/errors';
import { CommandIDs, ILabtrackService } from '../tokens';
import { IRunModelRef } from './code';
import { askRegistration } from './register-dialog';

export async function registerRunModel(
  service: ILabtrackService,
  commands: CommandRegistry,
  runId: string,
  model: IRunModelRef
): Promise<{ name: string; version: string } | null> {
  let existing: string[] = [];
  try {
    existing = (await service.listModels({ pageSize: 1000 })).models.map(m => m.name);
  } catch {
    // No registry to list (or it failed): a new name still works, or says why it cannot.
  }
  const target = await askRegistration(model.label, existing);
  if (!target) {
    return null;
  }
  try {
    const version = await service.registerVersion(target.name, {
      run_id: runId,
      path: model.label,
      alias: target.alias,
      tags: {},
      reason: 'registered from run details'
    });
    Notification.success(`Registered ${target.name} version ${version.version}`, { autoClose: 5000 });
    if (commands.hasCommand(CommandIDs.revealModelVersion)) {
      await commands.execute(CommandIDs.revealModelVersion, {
        name: target.name,
        version: version.version
      });
    }
    return { name: target.name, version: version.version };
  } catch (reason) {
    Notification.error(`Could not register ${model.label}: ${messageOf(reason)}`);
    return null;
  }
}
