// What a refused or warned issue tells a person: one entry per root cause, the path of the field to fix (0-based,
// as the request counts), the message in English and Arabic with line numbers as people count them (from 1), and,
// for a company under ZATCA's rules, each rule at ZATCA's severity: an error refuses the issue, a warning is
// returned with the issued invoice and stored in its snapshot.
import { arabicMessageOf, arabicProblemMessage, isWarning } from '@invoiceflow/zatca';
import type { FieldError } from '../../lib/errors';

export interface IssueMessage extends FieldError {
  message_ar: string;
}

const LINE_PATH = /^(?:lines|line_items)\.(\d+)(?:\.|$)/;

/** The same rule on the same field is one root cause, whichever stage found it: the first message is kept. */
export function distinctIssues(issues: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Messages in both languages, with "Line n" (from 1) before the message of a line's field. */
export function describeIssues(issues: readonly FieldError[]): IssueMessage[] {
  return distinctIssues(issues).map((issue) => {
    const line = LINE_PATH.exec(issue.path)?.[1];
    const number = line === undefined ? undefined : Number(line) + 1;
    const arabic = (issue as Partial<IssueMessage>).message_ar ?? arabicMessageOf(issue.code);
    return {
      path: issue.path,
      code: issue.code,
      message:
        number && !issue.message.startsWith('Line ') ? `Line ${number}: ${issue.message}` : issue.message,
      message_ar: number && !arabic.startsWith('السطر ') ? `السطر ${number}: ${arabic}` : arabic,
    };
  });
}

/** Errors and warnings: under ZATCA's rules by the rule table's severity; elsewhere every issue refuses. */
export function splitBySeverity(
  issues: readonly FieldError[],
  hasZatcaRules: boolean,
): { errors: FieldError[]; warnings: FieldError[] } {
  if (!hasZatcaRules) return { errors: [...issues], warnings: [] };
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  for (const issue of issues) (isWarning(issue.code) ? warnings : errors).push(issue);
  return { errors, warnings };
}

/**
 * Every problem an issuing route answers, in both languages: its field errors described as issuing describes them
 * (whether request validation, the service or a later stage raised them) and the problem's own message in Arabic.
 * Set as the routes' `describeProblem` (lib/problem.ts), so no call site words its errors on its own.
 */
export function describeIssueProblem(problem: { code: string; errors?: FieldError[] }): {
  message_ar?: string;
  errors?: IssueMessage[];
} {
  const arabic = arabicProblemMessage(problem.code);
  return {
    ...(arabic ? { message_ar: arabic } : {}),
    ...(problem.errors ? { errors: describeIssues(problem.errors) } : {}),
  };
}
