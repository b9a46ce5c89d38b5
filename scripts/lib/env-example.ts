/** Renders `.env.example` from the settings table, so the file cannot drift from the code. */
import { SETTINGS, type Setting } from '../../src/config/settings';

export function renderEnvExample(settings: readonly Setting[] = SETTINGS): string {
  const header = [
    '# Every setting of citrus-subscriptions. Generated from src/config/settings.ts by',
    '# `npm run env:example`; do not edit by hand. `npm start` fills local defaults for the',
    '# required ones; production must set them. Processes: api, worker, cli.',
    '',
  ];
  const blocks = settings.map((setting) => {
    const facts = [
      setting.type,
      setting.unit ? `unit: ${setting.unit}` : undefined,
      setting.values ? `one of: ${setting.values.join(', ')}` : undefined,
      setting.required ? 'required' : setting.default === undefined ? 'optional' : undefined,
      `used by: ${setting.usedBy.join(', ')}`,
    ].filter((fact): fact is string => fact !== undefined);
    const line =
      setting.default === undefined
        ? `# ${setting.env}=`
        : `# ${setting.env}=${quote(setting.default)}`;
    return [
      `# ${setting.doc}`,
      `# (${facts.join('; ')})`,
      setting.required ? `${setting.env}=` : line,
      '',
    ];
  });
  return [...header, ...blocks.flat()].join('\n');
}

/** Values with spaces or angle brackets need quotes for dotenv parsers and shells. */
function quote(value: string): string {
  return /[\s<>#"']/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}
