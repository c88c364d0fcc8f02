// The survey hook. `conversation.ended` carries `{conversationId, survey}`; `survey` is null until
// follow-up (回访 / 满意度调查) lands, when it will carry a survey link. Follow-up surveys plug in here:
// render the rating or the link in the thank-you view. Until then this renders nothing.

export type SurveyPayload = { conversationId: string; survey: unknown };

export function onSurvey(_payload: SurveyPayload): void {}
