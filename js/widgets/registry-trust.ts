import { node } from './dom';

/** One fix the kernel offers for a warning (`RegistryFix` of the server contract). */
export interface IFix {
  label: string;
  version: string;
  alias: string | null;
  stage: string | null;
  archive_existing: boolean;
}

/** Aliases and stages that disagree (`RegistryWarning` of the server contract). */
export interface IWarning {
  kind: string;
  alias: string;
  version: string;
  message: string;
  fixes: IFix[];
}

/** A version's latest challenge (`ChallengeView` of the server contract). */
export interface IChallenge {
  run_id: string;
  role: string;
  opponent: string;
  passed: boolean;
  metric: string;
  value: number | null;
  opponent_value: number | null;
  timestamp: number;
  verified: boolean;
}

export const UNVERIFIED_TITLE =
  'Not signed by labtrack: written by another MLflow client. Shown, never counted or followed.';

/** The mark on entries, approvals and records labtrack did not sign. */
export function unverifiedMark(doc: Document): HTMLElement {
  const mark = node(doc, 'span', 'lt-w-reg-unverified');
  mark.textContent = 'unverified';
  mark.title = UNVERIFIED_TITLE;
  return mark;
}

/** A warning with one button per fix; `onFix` asks for confirmation before anything. */
export function warningBox(doc: Document, warning: IWarning, onFix: (fix: IFix) => void): HTMLElement {
  const box = node(doc, 'div', 'lt-w-reg-warning', `labtrack-registry-warning-${warning.alias}`);
  const message = node(doc, 'span', '');
  message.textContent = warning.message;
  box.append(message);
  warning.fixes.forEach((fix, index) => {
    const button = node(doc, 'button', 'lt-w-reg-button', `labtrack-registry-fix-${warning.alias}-${index}`);
    (button as HTMLButtonElement).type = 'button';
    button.textContent = fix.label;
    button.addEventListener('click', () => onFix(fix));
    box.append(button);
  });
  return box;
}

function number(value: number | null): string {
  return value === null ? '—' : value.toPrecision(4);
}

/** "passed its challenge of v1: r2_score 0.912 vs 0.887". */
export function challengeText(challenge: IChallenge): string {
  const metric = `${challenge.metric} ${number(challenge.value)} vs ${number(challenge.opponent_value)}`;
  if (challenge.role === 'challenger') {
    return `${challenge.passed ? 'passed' : 'failed'} its challenge of v${challenge.opponent}: ${metric}`;
  }
  return `${challenge.passed ? 'lost to' : 'held against'} challenger v${challenge.opponent}: ${metric}`;
}

/** The challenge line under a version, with its evaluation run in the tooltip. */
export function challengeLine(doc: Document, challenge: IChallenge, version: string): HTMLElement {
  const line = node(doc, 'div', 'lt-w-reg-lineage', `labtrack-registry-challenge-${version}`);
  line.textContent = `challenge: ${challengeText(challenge)} `;
  line.title = `evaluation run ${challenge.run_id}`;
  if (!challenge.verified) {
    line.append(unverifiedMark(doc));
  }
  return line;
}
