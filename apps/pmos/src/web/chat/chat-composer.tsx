import { Button } from '@pmos/ui';
import { type FormEvent, type KeyboardEvent, useState } from 'react';

/** The message box: Enter sends, Shift+Enter starts a new line. Cleared once sent. */
export function Composer({
  disabled,
  busy,
  onSend,
  placeholder = 'Ask the agent to build, change or run an automation…',
}: {
  disabled: boolean;
  busy: boolean;
  onSend: (text: string) => Promise<unknown>;
  placeholder?: string;
}) {
  const [text, setText] = useState('');
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || disabled) return;
    await onSend(message);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter starts a new line: as in every chat.
    if (event.key === 'Enter' && !event.shiftKey) void submit();
  };
  return (
    <form className="chat-composer" onSubmit={submit}>
      <textarea
        className="pmos-input chat-composer__input"
        aria-label="Message to the agent"
        placeholder={placeholder}
        rows={2}
        value={text}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <Button type="submit" variant="primary" disabled={disabled || busy || !text.trim()}>
        {busy ? 'Sending…' : 'Send'}
      </Button>
    </form>
  );
}
