export { createBotAdmin, type BotAdmin } from './bot.admin.ts';
export { botRoutes } from './bot.routes.ts';
export { BOT_NAME, BOT_REPAIR_CATEGORY, channelBotSettings, createBotService, isBotEnabled, type BotService } from './bot.service.ts';
