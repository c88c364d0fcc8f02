// CTI channel (issue 5): call events and the IVR for a PBX, click-to-call and callbacks (docs/cti.md).
export { assertPublishableIvr, type TIvrTree, ZIvrNode, ZIvrPrompt, ZIvrTree } from './cti.ivr-schema.ts';
export { buildOriginateRequest, createCtiOriginator, type CtiOriginatorDeps, type OriginateBody, type OriginateInput, type OriginateRequest } from './cti.originate.ts';
export { createIvrAdmin, type IvrAdmin, type IvrDocumentDto, type IvrPublishResult, type IvrVersionDto, loadPublishedIvr } from './ivr.admin.ts';
export { ivrRoutes } from './ivr.routes.ts';
export { CTI_BODY_LIMIT, type CtiEventResult, type CtiRoutesDeps, ctiRoutes, getSignedTarget, QUERY_SIGNATURE, QUERY_TIMESTAMP, toRouteAnswer } from './cti.routes.ts';
export {
  CTI_EVENT_SCHEMAS,
  CTI_EVENT_TYPES,
  type CtiRouteAnswer,
  getAgentExtension,
  resolveAgentId,
  type TCtiChannelConfig,
  type TCtiChannelSecrets,
  type TCtiEvent,
  toCallEvent,
  ZCtiChannelConfig,
  ZCtiChannelSecrets,
} from './cti.schemas.ts';
