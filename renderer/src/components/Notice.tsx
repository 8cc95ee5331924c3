import { useTranslation } from 'react-i18next';
import { type Message, type Notice, say } from '../lib/message';

export type { Message, Notice };

/** `say` bound to the language now shown. */
export function useSay(): (message: Message) => string {
  const { t } = useTranslation();
  return (message) => say(t, message);
}

/** An outcome line: an alert when it went wrong, a status when it went right. */
export function NoticeView({ notice, as: Tag = 'p', id }: { notice: Notice; as?: 'p' | 'span'; id?: string }) {
  const { t } = useTranslation();
  return (
    <Tag id={id} role={notice.tone === 'error' ? 'alert' : 'status'} className={notice.tone}>
      {say(t, notice)}
    </Tag>
  );
}
