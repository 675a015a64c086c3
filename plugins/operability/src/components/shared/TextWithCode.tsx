import { Fragment } from 'react';

/**
 * Plain text in which `backticked` parts (annotation keys, YAML snippets in
 * the rubric's fixes) are shown as code rather than with their backticks.
 */
export function TextWithCode(props: { text: string }) {
  const parts = props.text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        // split() with a capture group puts the captured parts at odd indexes.
        i % 2 === 1 ? (
          <code key={i}>{part}</code>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
