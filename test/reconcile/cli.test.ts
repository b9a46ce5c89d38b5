/** Argument parsing of `npm run reconcile`. */
import { parseWindow, UsageError } from '../../scripts/reconcile';

const now = Date.parse('2026-06-01T12:00:00Z');

describe('npm run reconcile arguments', () => {
  it('turns --since and --until into a window in Unix seconds', () => {
    expect(
      parseWindow(['--since', '2026-05-30T00:00:00Z', '--until', '2026-05-31T00:00:00Z'], now),
    ).toEqual({ since: 1_780_099_200, until: 1_780_185_600, wait: true });
  });

  it('leaves the end open and can return without waiting', () => {
    expect(parseWindow(['--since', '2026-05-30', '--no-wait'], now)).toEqual({
      since: 1_780_099_200,
      until: undefined,
      wait: false,
    });
  });

  it.each([
    [[], '--since is required'],
    [['--since', 'yesterday'], 'is not a date'],
    [['--since', '2026-07-01T00:00:00Z'], 'in the future'],
    [['--since', '2026-05-31', '--until', '2026-05-30'], 'before --since'],
  ])('rejects %j with a message that says what to fix', (argv, message) => {
    expect(() => parseWindow(argv, now)).toThrow(UsageError);
    expect(() => parseWindow(argv, now)).toThrow(message);
  });
});
