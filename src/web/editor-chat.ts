import type { MessageEntity } from '../domain/rendered.js';
import type { StandInMessage, TelegramStandIn } from '../sandbox/standins/telegram/index.js';

/** One line of the sandbox editor chat: what the person typed, or what the bot answered. */
export interface EditorChatEntry {
  readonly from: 'editor' | 'bot';
  /** The bot's message id (buttons are pressed by it); absent for the editor's own lines. */
  readonly messageId?: number;
  readonly text: string;
  readonly entities: readonly MessageEntity[];
  /** Inline buttons: `data` is what to send back to press one. */
  readonly buttons: readonly (readonly {
    readonly text: string;
    readonly data?: string;
    readonly url?: string;
  }[])[];
  readonly photo?: string;
  readonly edited: boolean;
}

/** What the page shows. */
export interface EditorChatSnapshot {
  readonly editorId: number;
  readonly entries: readonly EditorChatEntry[];
}

/** A refusal to show the person, e.g. a button no longer on its message. */
export type EditorChatResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * The sandbox editor panel: a person acts as an editor with no Telegram account. What they type becomes a
 * user message on the Telegram stand-in (as `editorId`, in the private chat with the bot); their button
 * presses become callback queries; the bot's replies are read back from the stand-in.
 */
export interface EditorChat {
  send(text: string): EditorChatResult;
  press(messageId: number, data: string): EditorChatResult;
  snapshot(): EditorChatSnapshot;
  /** Stops listening to the stand-in. */
  close(): void;
}

/** The most lines kept (older ones scroll away). */
export const EDITOR_CHAT_MAX_ENTRIES = 200;
/** The longest line the panel passes on, in characters (a little over Telegram's 4096, so the bot's own refusal shows). */
export const EDITOR_CHAT_MAX_TEXT = 8_192;

type Line =
  | { readonly kind: 'editor'; readonly text: string }
  | { readonly kind: 'bot'; readonly messageId: number };

/** Creates the panel over a running stand-in. */
export function createEditorChat(
  standIn: TelegramStandIn,
  editorId: number,
  username = 'sandbox_editor',
): EditorChat {
  const lines: Line[] = [];
  const push = (line: Line) => {
    lines.push(line);
    if (lines.length > EDITOR_CHAT_MAX_ENTRIES) lines.splice(0, lines.length - EDITOR_CHAT_MAX_ENTRIES);
  };
  const unsubscribe = standIn.onEvent((event) => {
    if (event.type === 'message-posted' && event.message.chat.id === editorId) {
      push({ kind: 'bot', messageId: event.message.message_id });
    }
  });

  function botMessages(): Map<number, StandInMessage> {
    try {
      return new Map(standIn.messages(editorId).map((message) => [message.message_id, message]));
    } catch {
      return new Map(); // the private chat exists only once the editor wrote
    }
  }

  return {
    send(text) {
      const trimmed = text.trim();
      if (trimmed === '') return { ok: false, error: 'type a message or a command, e.g. /help' };
      if (text.length > EDITOR_CHAT_MAX_TEXT)
        return { ok: false, error: `at most ${EDITOR_CHAT_MAX_TEXT} characters` };
      push({ kind: 'editor', text });
      standIn.sendUserMessage({ fromId: editorId, text, username, firstName: 'Sandbox editor' });
      return { ok: true };
    },
    press(messageId, data) {
      try {
        standIn.pressButton({ fromId: editorId, messageChatId: editorId, messageId, data, username });
        return { ok: true };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
    snapshot() {
      const messages = botMessages();
      const entries: EditorChatEntry[] = [];
      for (const line of lines) {
        if (line.kind === 'editor') {
          entries.push({ from: 'editor', text: line.text, entities: [], buttons: [], edited: false });
          continue;
        }
        const message = messages.get(line.messageId);
        if (!message || message.deleted) continue;
        entries.push(botEntry(message));
      }
      return { editorId, entries };
    },
    close: unsubscribe,
  };
}

function botEntry(message: StandInMessage): EditorChatEntry {
  const rows =
    (
      message.reply_markup as
        | { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] }
        | undefined
    )?.inline_keyboard ?? [];
  const photo = message.photoSource?.kind === 'url' ? message.photoSource.url : undefined;
  return {
    from: 'bot',
    messageId: message.message_id,
    text: message.text ?? message.caption ?? '',
    entities: (message.text !== undefined ? message.entities : message.caption_entities) ?? [],
    buttons: rows.map((row) =>
      row.map((button) => ({
        text: button.text,
        ...(button.callback_data !== undefined ? { data: button.callback_data } : {}),
        ...(button.url !== undefined ? { url: button.url } : {}),
      })),
    ),
    ...(photo ? { photo } : {}),
    edited: message.edit_date !== undefined,
  };
}
