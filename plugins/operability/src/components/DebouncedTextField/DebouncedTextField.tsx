import TextField, { type TextFieldProps } from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';

/**
 * A text field that reports its trimmed value (undefined when empty) once the
 * person stops typing, so that a request is not sent per key stroke. A new
 * `value` from outside (the URL changed) replaces the text.
 */
export function DebouncedTextField(
  props: Omit<TextFieldProps, 'value' | 'onChange'> & {
    value: string | undefined;
    onChange: (value: string | undefined) => void;
    delayMs?: number;
  },
) {
  const { value, onChange, delayMs = 300, ...fieldProps } = props;
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  useDebounce(
    () => {
      if (text.trim() !== (value ?? '')) onChange(text.trim() || undefined);
    },
    delayMs,
    [text],
  );
  return (
    <TextField
      {...fieldProps}
      value={text}
      onChange={e => setText(e.target.value)}
    />
  );
}
