import { render } from '@testing-library/react';
import { TextWithCode } from './TextWithCode';

describe('TextWithCode', () => {
  it('shows backticked parts as code, without the backticks', () => {
    const { container } = render(
      <TextWithCode text="Add `spec.owner` or the annotation `a/b: c`." />,
    );
    expect(container.textContent).toBe(
      'Add spec.owner or the annotation a/b: c.',
    );
    expect(
      Array.from(container.querySelectorAll('code')).map(c => c.textContent),
    ).toEqual(['spec.owner', 'a/b: c']);
  });

  it('leaves text without backticks, and a lone backtick, as they are', () => {
    const { container } = render(<TextWithCode text="it`s fine" />);
    expect(container.textContent).toBe('it`s fine');
    expect(container.querySelector('code')).toBeNull();
  });
});
