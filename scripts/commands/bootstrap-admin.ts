/** `bootstrap-admin --email <address>`: the first admin of a deployment. */
import { parseArgs } from 'node:util';
import type { Command } from './command';

export const bootstrapAdminCommand: Command = {
  name: 'bootstrap-admin',
  usage: 'bootstrap-admin --email <address>   make an account an active admin (creates it if needed)',
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { email: { type: 'string' } } });
    const { BootstrapAdminSchema } = await import('../../functions/src/application/contracts');
    const parsed = BootstrapAdminSchema.safeParse({ email: values.email });
    if (!parsed.success) throw new Error('bootstrap-admin needs --email <address> with a valid email address');
    const { services } = await import('../../functions/src/wiring');
    const { bootstrapAdmin } = await import('../../functions/src/application/admin/bootstrap-admin');
    const admin = await bootstrapAdmin(await services(), parsed.data.email);
    console.log(`${admin.email} (uid ${admin.uid}) is now an active admin.`);
  },
};
