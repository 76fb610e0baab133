/**
 * What the admin pages' add/edit forms share: the typed values, the one
 * error shown next to the form, and putting the cursor in the field it is
 * about (marked aria-invalid and described by the error).
 */
import { useRef, useState } from 'preact/hooks';

export interface FormError<Field extends string> {
  message: string;
  field?: Field;
}

type TextFields<F> = { [K in keyof F]: string };
type FieldOf<F> = keyof F & string;

export interface FieldForm<F extends TextFields<F>> {
  form: F;
  setForm: (update: F | ((current: F) => F)) => void;
  formError: FormError<FieldOf<F>> | undefined;
  setFormError: (error: FormError<FieldOf<F>> | undefined) => void;
  /** Shows the error and moves the cursor to its field. */
  showError: (error: FormError<FieldOf<F>>) => void;
  focus: (field: FieldOf<F> | undefined) => void;
  /** The props of the text input for `field`. */
  input: (field: FieldOf<F>) => FieldInputProps;
}

export interface FieldInputProps {
  name: string;
  value: string;
  ref: (element: HTMLInputElement | null) => void;
  onInput: (e: Event) => void;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** `errorId`: the id of the form's FormErrorText, which describes the field in error. */
export function useFieldForm<F extends TextFields<F>>(initial: F, errorId: string): FieldForm<F> {
  const [form, setForm] = useState<F>(initial);
  const [formError, setFormError] = useState<FormError<FieldOf<F>> | undefined>(undefined);
  const inputs = useRef<Partial<Record<FieldOf<F>, HTMLInputElement | null>>>({});

  const focus = (field: FieldOf<F> | undefined) => {
    if (field === undefined) return;
    // At once when the field is on the page, so the cursor is there before the error shows
    // (a later focus would pull it back from wherever the user went meanwhile); else once it renders.
    const present = inputs.current[field];
    if (present) present.focus();
    else setTimeout(() => inputs.current[field]?.focus(), 0);
  };
  const showError = (error: FormError<FieldOf<F>>) => {
    setFormError(error);
    focus(error.field);
  };
  const input = (field: FieldOf<F>): FieldInputProps => ({
    name: field,
    value: form[field],
    ref: (element: HTMLInputElement | null) => {
      inputs.current[field] = element;
    },
    onInput: (e: Event) => {
      // From the latest state, not this render's: two fields filled at once (autofill) must both stick.
      const value = (e.currentTarget as HTMLInputElement).value;
      setForm((current) => ({ ...current, [field]: value }) as F);
    },
    'aria-invalid': formError?.field === field ? true : undefined,
    'aria-describedby': formError?.field === field ? errorId : undefined,
  });
  return { form, setForm, formError, setFormError, showError, focus, input };
}

/** The form's error, if any, across the form grid. */
export function FormErrorText({ error, id }: { error: FormError<string> | undefined; id: string }) {
  if (error === undefined) return null;
  return (
    <p class="error span-2" role="alert" id={id}>
      {error.message}
    </p>
  );
}
