// The shapes the widget speaks, taken from packages/contracts as types only: the bundle must not pull
// in zod. The package index does not export contacts.ts yet, so the file is imported directly;
// switch to '@kefu/contracts' once it does.
import type { z } from 'zod';
import type { ZWidgetSession } from '../../../packages/contracts/src/contacts.ts';

export type { TConversation, TMessage, TWidgetConfig } from '../../../packages/contracts/src/contacts.ts';
export type TWidgetSession = z.infer<typeof ZWidgetSession>;
export type TLanguage = 'zh-CN' | 'en-US';
export type TOverflowAction = 'leave_message' | 'callback';

// Mirrors MAX_MESSAGE_CHARS in contracts (a value import would bundle zod).
export const MAX_MESSAGE_CHARS = 4000;
