import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { BotApiError, badRequest } from './bot-api-error.js';
import type {
  ApiCallRecord,
  BotApiChat,
  BotApiEntity,
  BotApiUpdate,
  BotApiUser,
  ButtonPressInput,
  CallbackAnswer,
  MessageContent,
  StandInBotConfig,
  StandInChatConfig,
  StandInEvent,
  StandInEventListener,
  StandInMessage,
  UserMessageInput,
} from './stand-in-types.js';
import { GROUP_ANONYMOUS_BOT } from './stand-in-types.js';
import { UpdateQueue } from './update-queue.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type MutableMessage = Mutable<StandInMessage> & { history: MessageContent[] };

export interface WebhookConfig {
  readonly url: string;
  readonly secretToken?: string;
  readonly allowedUpdates?: readonly string[];
  readonly maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface BotRecord {
  readonly config: StandInBotConfig;
  readonly user: BotApiUser;
  readonly queue: UpdateQueue;
  readonly commands: Map<string, unknown[]>;
  webhook: WebhookConfig | undefined;
}

export interface ChatRecord {
  readonly config: StandInChatConfig;
  readonly info: BotApiChat;
  nextMessageId: number;
  readonly botMessages: Map<number, MutableMessage>;
  /** Users who are in the chat (groups): writing there makes one a member, {@link StandInState.removeMember} ends it. */
  readonly members: Set<number>;
}

const MAX_CALL_LOG = 10_000;

/** Basic groups and supergroups: the chats with members. */
const isGroup = (chat: ChatRecord): boolean => chat.info.type === 'group' || chat.info.type === 'supergroup';

/** Everything the stand-in knows: bots, chats, posted messages, queued updates, callback queries. */
export class StandInState {
  readonly bots: BotRecord[];
  readonly #byToken = new Map<string, BotRecord>();
  readonly #chats = new Map<number, ChatRecord>();
  readonly #chatsByUsername = new Map<string, ChatRecord>();
  readonly #messages: MutableMessage[] = [];
  readonly #pendingQueries = new Map<string, number>();
  readonly #answers: CallbackAnswer[] = [];
  readonly #calls: ApiCallRecord[] = [];
  readonly #events = new EventEmitter();
  readonly #fileIds = new Set<string>();
  readonly #knownUsers = new Set<number>();

  constructor(
    bots: readonly StandInBotConfig[],
    chats: readonly StandInChatConfig[],
    readonly now: () => number,
  ) {
    if (bots.length === 0) throw new Error('the stand-in needs at least one bot');
    this.bots = bots.map((config) => ({
      config,
      user: { id: config.id, is_bot: true, first_name: config.firstName, username: config.username },
      queue: new UpdateQueue(),
      commands: new Map(),
      webhook: undefined,
    }));
    for (const bot of this.bots) this.#byToken.set(bot.config.token, bot);
    for (const chat of chats) this.addChat(chat);
    this.#events.setMaxListeners(0);
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  botByToken(token: string): BotRecord | undefined {
    return this.#byToken.get(token);
  }

  botById(id: number | undefined): BotRecord {
    const bot = id === undefined ? this.bots[0] : this.bots.find((candidate) => candidate.config.id === id);
    if (!bot) throw new Error(`no bot with id ${id}`);
    return bot;
  }

  addChat(config: StandInChatConfig): ChatRecord {
    const info: Mutable<BotApiChat> = { id: config.id, type: config.type };
    if (config.type === 'private') info.first_name = config.firstName ?? config.title ?? `User ${config.id}`;
    else info.title = config.title ?? config.username ?? `Chat ${config.id}`;
    if (config.username) info.username = config.username;
    const record: ChatRecord = { config, info, nextMessageId: 1, botMessages: new Map(), members: new Set() };
    this.#chats.set(config.id, record);
    if (config.username) this.#chatsByUsername.set(config.username.toLowerCase(), record);
    return record;
  }

  /** Finds a chat by numeric id (number or decimal string) or `@username`; `undefined` when unknown. */
  findChat(ref: number | string): ChatRecord | undefined {
    if (typeof ref === 'number') return this.#chats.get(ref);
    const trimmed = ref.trim();
    if (/^-?\d+$/.test(trimmed)) return this.#chats.get(Number(trimmed));
    if (trimmed.startsWith('@')) return this.#chatsByUsername.get(trimmed.slice(1).toLowerCase());
    return undefined;
  }

  /** A chat the bot may post to, or the Bot API's refusal. */
  chatForBot(bot: BotRecord, ref: unknown): ChatRecord {
    if (ref === undefined || ref === '') throw badRequest('chat_id is empty');
    if (typeof ref !== 'string' && typeof ref !== 'number') throw badRequest('chat not found');
    const chat = this.findChat(ref);
    if (!chat) throw badRequest('chat not found');
    const members = chat.config.botIds;
    if (members && !members.includes(bot.config.id)) {
      const kind =
        chat.config.type === 'channel' ? 'channel' : chat.config.type === 'private' ? 'private' : 'group';
      if (kind === 'private')
        throw new BotApiError(403, "Forbidden: bot can't initiate conversation with a user");
      throw new BotApiError(403, `Forbidden: bot is not a member of the ${kind} chat`);
    }
    return chat;
  }

  chatInfos(): BotApiChat[] {
    return [...this.#chats.values()].map((chat) => chat.info);
  }

  knowsFileId(fileId: string): boolean {
    return this.#fileIds.has(fileId);
  }

  rememberFileId(fileId: string): void {
    this.#fileIds.add(fileId);
  }

  recordCall(botId: number, method: string): void {
    this.#calls.push({ botId, method, at: this.now() });
    if (this.#calls.length > MAX_CALL_LOG) this.#calls.splice(0, this.#calls.length - MAX_CALL_LOG);
  }

  calls(method?: string): ApiCallRecord[] {
    const lower = method?.toLowerCase();
    return this.#calls.filter((call) => lower === undefined || call.method.toLowerCase() === lower);
  }

  /** Records a message a bot posted and announces it. */
  recordBotMessage(
    bot: BotRecord,
    chat: ChatRecord,
    content: Omit<StandInMessage, 'botId' | 'chat' | 'message_id' | 'date' | 'history' | 'deleted'>,
  ): MutableMessage {
    const message: MutableMessage = {
      botId: bot.config.id,
      chat: chat.info,
      message_id: chat.nextMessageId++,
      date: this.nowSeconds(),
      ...content,
      history: [],
      deleted: false,
    };
    chat.botMessages.set(message.message_id, message);
    this.#messages.push(message);
    this.emit({ type: 'message-posted', message: snapshot(message) });
    return message;
  }

  emit(event: StandInEvent): void {
    this.#events.emit('event', event);
  }

  onEvent(listener: StandInEventListener): () => void {
    this.#events.on('event', listener);
    return () => this.#events.off('event', listener);
  }

  messages(chatRef?: number | string): StandInMessage[] {
    const chat = chatRef === undefined ? undefined : this.findChat(chatRef);
    if (chatRef !== undefined && !chat) throw new Error(`unknown chat ${chatRef}`);
    return this.#messages.filter((message) => !chat || message.chat.id === chat.info.id).map(snapshot);
  }

  /** The Bot API `Message` object for a recorded bot message. */
  toApiMessage(message: MutableMessage): Record<string, unknown> {
    const bot = this.botById(message.botId);
    const api: Record<string, unknown> = { message_id: message.message_id };
    if (message.chat.type === 'channel') api.sender_chat = message.chat;
    else api.from = bot.user;
    api.chat = message.chat;
    api.date = message.date;
    if (message.edit_date !== undefined) api.edit_date = message.edit_date;
    if (message.text !== undefined) api.text = message.text;
    if (message.entities && message.entities.length > 0) api.entities = message.entities;
    if (message.link_preview_options !== undefined) api.link_preview_options = message.link_preview_options;
    if (message.photo) api.photo = message.photo;
    if (message.caption !== undefined) api.caption = message.caption;
    if (message.caption_entities && message.caption_entities.length > 0) {
      api.caption_entities = message.caption_entities;
    }
    if (message.reply_markup !== undefined) api.reply_markup = message.reply_markup;
    if (message.protect_content) api.has_protected_content = true;
    const original =
      message.reply_to_message_id === undefined
        ? undefined
        : this.findChat(message.chat.id)?.botMessages.get(message.reply_to_message_id);
    // Telegram nests the replied-to message one level deep, without its own reply.
    if (original && !original.deleted) {
      const { reply_to_message: _nested, ...nested } = this.toApiMessage(original);
      api.reply_to_message = nested;
    }
    return api;
  }

  /**
   * Moves a bot message's sending date `byMs` into the past, as if it had been sent that long before (for
   * tests of the 48-hour delete limit). Returns the message as it now is.
   */
  ageMessage(chatRef: number | string, messageId: number, byMs: number): StandInMessage {
    const message = this.findChat(chatRef)?.botMessages.get(messageId);
    if (!message) throw new Error(`no bot message ${messageId} in chat ${chatRef}`);
    message.date -= Math.floor(byMs / 1000);
    return snapshot(message);
  }

  /** Simulates a user writing to a chat the bot is in; returns the queued update. */
  sendUserMessage(input: UserMessageInput): BotApiUpdate {
    const bot = this.botById(input.botId);
    let chat: ChatRecord | undefined;
    if (input.chatId === undefined) {
      chat =
        this.#chats.get(input.fromId) ??
        this.addChat({ id: input.fromId, type: 'private', firstName: input.firstName });
    } else {
      chat = this.findChat(input.chatId);
      if (!chat) throw new Error(`unknown chat ${input.chatId}`);
    }
    if (input.anonymousAdmin && !isGroup(chat)) {
      throw new Error(`anonymous admins write only in groups, not in chat ${chat.info.id}`);
    }
    const from = this.#user(input.fromId, input.username, input.firstName);
    this.#knownUsers.add(input.fromId);
    // Telegram only lets members write in a group; an anonymous admin is a member all the same.
    if (isGroup(chat)) chat.members.add(input.fromId);
    const message: Record<string, unknown> = { message_id: chat.nextMessageId++ };
    if (chat.info.type === 'channel') message.sender_chat = chat.info;
    else if (input.anonymousAdmin) {
      message.from = GROUP_ANONYMOUS_BOT;
      message.sender_chat = chat.info;
    } else message.from = from;
    message.chat = chat.info;
    message.date = this.nowSeconds();
    if (input.forwardedFromChatId !== undefined) {
      const origin = this.findChat(input.forwardedFromChatId);
      if (!origin) throw new Error(`unknown chat ${input.forwardedFromChatId}`);
      message.forward_origin = {
        type: origin.info.type === 'channel' ? 'channel' : 'chat',
        chat: origin.info,
        ...(origin.info.type === 'channel' ? { message_id: 1 } : { sender_chat: origin.info }),
        date: this.nowSeconds(),
      };
      message.forward_from_chat = origin.info;
      message.forward_date = this.nowSeconds();
    }
    if (input.replyToMessageId !== undefined) {
      const original = chat.botMessages.get(input.replyToMessageId);
      if (!original || original.deleted)
        throw new Error(`no bot message ${input.replyToMessageId} in chat ${chat.info.id}`);
      message.reply_to_message = this.toApiMessage(original);
    }
    message.text = input.text;
    const entities = detectEntities(input.text);
    if (entities.length > 0) message.entities = entities;
    return this.queueUpdate(bot, chat.info.type === 'channel' ? { channel_post: message } : { message });
  }

  /** Simulates a user pressing an inline button under a bot message; returns the queued update. */
  pressButton(input: ButtonPressInput): BotApiUpdate {
    this.#knownUsers.add(input.fromId);
    const chat = this.findChat(input.messageChatId);
    if (!chat) throw new Error(`unknown chat ${input.messageChatId}`);
    const message = chat.botMessages.get(input.messageId);
    if (!message || message.deleted)
      throw new Error(`no bot message ${input.messageId} in chat ${chat.info.id}`);
    const rows = (message.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    if (!rows?.some((row) => row.some((button) => button.callback_data === input.data))) {
      throw new Error(
        `message ${input.messageId} has no button with callback_data ${JSON.stringify(input.data)}`,
      );
    }
    const bot = this.botById(message.botId);
    const id = BigInt(`0x${randomBytes(8).toString('hex')}`).toString();
    this.#pendingQueries.set(id, bot.config.id);
    return this.queueUpdate(bot, {
      callback_query: {
        id,
        from: this.#user(input.fromId, input.username),
        message: this.toApiMessage(message),
        chat_instance: String(Math.abs(chat.info.id * 7919) % 2 ** 53),
        data: input.data,
      },
    });
  }

  /** Marks a callback query answered; refuses unknown or already answered ones like the real API. */
  answerCallbackQuery(bot: BotRecord, answer: Omit<CallbackAnswer, 'botId'>): void {
    if (this.#pendingQueries.get(answer.callback_query_id) !== bot.config.id) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    this.#pendingQueries.delete(answer.callback_query_id);
    const recorded: CallbackAnswer = { ...answer, botId: bot.config.id };
    this.#answers.push(recorded);
    this.emit({ type: 'callback-answered', answer: recorded });
  }

  callbackAnswers(): CallbackAnswer[] {
    return [...this.#answers];
  }

  queueUpdate(bot: BotRecord, update: Record<string, unknown>): BotApiUpdate {
    const queued = bot.queue.push(update);
    this.emit({ type: 'update-queued', botId: bot.config.id, update: queued });
    return queued;
  }

  /**
   * A user leaves (or is removed from) a group: they are no longer a member, and unless `notify` is false
   * (groups that hide join and leave messages) the bot gets the service message (`left_chat_member`).
   * Returns the queued update, if any.
   */
  removeMember(chatId: number, userId: number, notify = true, botId?: number): BotApiUpdate | undefined {
    const chat = this.findChat(chatId);
    if (!chat || !isGroup(chat)) throw new Error(`no group chat ${chatId}`);
    chat.members.delete(userId);
    if (!notify) return undefined;
    const user = this.#user(userId);
    return this.queueUpdate(this.botById(botId), {
      message: {
        message_id: chat.nextMessageId++,
        from: user,
        chat: chat.info,
        date: this.nowSeconds(),
        left_chat_member: user,
      },
    });
  }

  /** `getChatMember`: a user's status in a chat the bot is in, as the Bot API's ChatMember. */
  chatMember(bot: BotRecord, chatRef: unknown, userId: number | undefined): Record<string, unknown> {
    const chat = this.chatForBot(bot, chatRef);
    if (userId === undefined) throw badRequest('user_id is empty');
    if (userId === bot.config.id) return { status: 'administrator', user: bot.user };
    if (!this.#knownUsers.has(userId)) throw badRequest('user not found');
    const inChat = chat.info.type === 'private' ? chat.info.id === userId : chat.members.has(userId);
    return { status: inChat ? 'member' : 'left', user: this.#user(userId) };
  }

  #user(id: number, username?: string, firstName?: string): BotApiUser {
    return {
      id,
      is_bot: false,
      first_name: firstName ?? `User ${id}`,
      ...(username ? { username } : {}),
      language_code: 'en',
    };
  }
}

/** A deep copy safe to hand out. */
export function snapshot(message: MutableMessage): StandInMessage {
  return structuredClone(message);
}

/** The entities Telegram detects in a user's plain text: commands, mentions, hashtags, cashtags, URLs. */
export function detectEntities(text: string): BotApiEntity[] {
  const entities: BotApiEntity[] = [];
  const patterns: [string, RegExp][] = [
    ['bot_command', /(?<![\w/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])/g],
    ['mention', /(?<![\w@])@[A-Za-z0-9_]{5,32}(?!\w)/g],
    ['hashtag', /(?<![\w#])#[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*/g],
    ['cashtag', /(?<![\w$])\$[A-Z]{1,8}(?![\w])/g],
    ['url', /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g],
  ];
  for (const [type, pattern] of patterns) {
    for (const match of text.matchAll(pattern)) {
      entities.push({ type, offset: match.index, length: match[0].length });
    }
  }
  return entities.sort((a, b) => a.offset - b.offset);
}
