// Generic API channel (issue 5) and the Kefu webhook signature shared with SMS.
export { type TApiChannelConfig, type TApiChannelSecrets, ZApiChannelConfig, ZApiChannelSecrets } from './api.config.ts';
export { API_BODY_LIMIT, type ApiIdentity, type ApiRoutesDeps, apiChannelRoutes, DEFAULT_MAX_ATTACHMENT_BYTES, type TApiInboundMessage, ZApiInboundMessage } from './api.routes.ts';
export { type ApiSenderDeps, buildMessageCreatedEvent, createApiSender } from './api.sender.ts';
export { computeSignature, createMemoryReplayGuard, DEFAULT_REPLAY_WINDOW_SECONDS, type ReplayGuard, type SignatureCheck, signRequest, verifySignature } from './signing.ts';
