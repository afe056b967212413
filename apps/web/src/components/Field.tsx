import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';

export type FieldMessage = { tone: 'error' | 'hint' | 'ok'; text: string };

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  id: string;
  label: string;
  optional?: boolean;
  /** Standing help under the input (format rules), shown unless a message replaces it. */
  help?: string;
  message?: FieldMessage | null;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/** Label, control and one message line, wired for screen readers (aria-describedby, aria-invalid). */
export function Field({ id, label, optional, help, message, className, children }: FieldProps) {
  const { t } = useI18n();
  const line = message ?? (help ? { tone: 'hint' as const, text: help } : null);
  const messageId = `${id}-message`;
  return (
    <div
      className={`field${className ? ` ${className}` : ''}`}
      data-invalid={message?.tone === 'error' || undefined}
    >
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> ({t('field.optional')})</span>}
      </label>
      {children({
        id,
        'aria-invalid': message?.tone === 'error',
        'aria-describedby': line ? messageId : undefined,
      })}
      {line && (
        <p
          id={messageId}
          className={`field-message field-message-${line.tone}`}
          role={line.tone === 'error' ? 'alert' : undefined}
        >
          {line.text}
        </p>
      )}
    </div>
  );
}
