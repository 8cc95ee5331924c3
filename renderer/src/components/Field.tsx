import type { InputHTMLAttributes, ReactNode } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  id: string;
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  help?: string;
  /** Shown instead of the help, with the input marked invalid. */
  error?: string;
}

/** A labelled text input with its help or error underneath, wired for screen readers. */
export function Field({ id, label, value, onChange, help, error, className, ...input }: FieldProps) {
  const note = error ?? help;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.target.value)}
        {...input}
      />
      {note && (
        <small id={`${id}-note`} className={error ? 'error' : undefined}>
          {note}
        </small>
      )}
    </div>
  );
}
