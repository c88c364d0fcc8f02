import { MAX_MESSAGE_CHARS } from '@kefu/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { type ClientFrame, type RealtimeClient, sendFrame } from '../../platform/realtime.ts';
import type { ConversationsService, Party } from './conversations.service.ts';

// Client → server frames of /ws (docs/realtime.md). Every frame is checked against the party
// that opened the socket: a visitor only reaches their own conversation, staff only what their
// permissions and the contact's holder allow.
const ZConversationRef = z.strictObject({ type: z.string(), conversationId: z.uuid() });
const FRAMES = {
  'message.send': z.strictObject({ type: z.literal('message.send'), conversationId: z.uuid(), clientMsgId: z.string().min(1).max(64), text: z.string().trim().min(1).max(MAX_MESSAGE_CHARS) }),
  typing: ZConversationRef,
  read: z.strictObject({ type: z.literal('read'), conversationId: z.uuid(), seq: z.number().int().min(0) }),
  resume: z.strictObject({ type: z.literal('resume'), conversationId: z.uuid(), afterSeq: z.number().int().min(0) }),
  watch: ZConversationRef,
  unwatch: ZConversationRef,
} as const;

function partyOf(client: RealtimeClient): Party {
  if (client.auth) return { kind: 'staff', auth: client.auth };
  return { kind: 'visitor', visitorId: client.visitorId as string, brandId: client.brandIds[0] as string };
}

export function createFrameHandler(conversations: ConversationsService) {
  return async function onFrame(client: RealtimeClient, frame: ClientFrame): Promise<void> {
    const ref = typeof frame.clientMsgId === 'string' ? frame.clientMsgId : null;
    const schema = FRAMES[frame.type as keyof typeof FRAMES];
    if (!schema) return sendFrame(client, 'error', { code: 'ws.unknown_type', message: `Unknown frame type ${frame.type}`, ref });
    const parsed = schema.safeParse(frame);
    if (!parsed.success) return sendFrame(client, 'error', { code: 'validation.failed', message: parsed.error.issues[0]?.message ?? 'Invalid frame', ref });
    const party = partyOf(client);
    try {
      const f = parsed.data as Record<string, unknown> & { type: string; conversationId: string };
      switch (f.type) {
        case 'message.send': {
          const m = await conversations.send(party, f.conversationId, { text: String(f.text), clientMsgId: String(f.clientMsgId) });
          return sendFrame(client, 'message.ack', { clientMsgId: f.clientMsgId, id: m.id, seq: m.seq, conversationId: f.conversationId });
        }
        case 'typing':
          return await conversations.typing(party, f.conversationId);
        case 'read':
          return await conversations.markRead(party, f.conversationId, Number(f.seq));
        case 'resume': {
          let after = Number(f.afterSeq);
          for (;;) {
            const page = await conversations.messages(party, f.conversationId, { after, limit: 200, includeInternal: party.kind === 'staff' ? 'true' : 'false' });
            for (const m of page.items) sendFrame(client, 'message.created', m);
            after = page.items.at(-1)?.seq ?? after;
            if (!page.nextCursor) break;
          }
          return sendFrame(client, 'resume.done', { conversationId: f.conversationId, lastSeq: after });
        }
        case 'watch': {
          if (party.kind !== 'staff' || !(await conversations.canWatch(party.auth, f.conversationId))) {
            throw new AppError('auth.forbidden', 'You may not listen to this conversation');
          }
          client.watching.add(f.conversationId);
          return sendFrame(client, 'watch.started', { conversationId: f.conversationId });
        }
        case 'unwatch':
          client.watching.delete(f.conversationId);
          return;
        default:
          return;
      }
    } catch (err) {
      if (err instanceof AppError) {
        const code = err.code === 'resource.not_found' ? 'auth.forbidden' : err.code;
        return sendFrame(client, 'error', { code, message: err.message, ref });
      }
      throw err;
    }
  };
}
