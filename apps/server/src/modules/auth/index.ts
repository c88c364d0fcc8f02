export { authRoutes, getMe, SESSION_COOKIE } from './auth.routes.ts';
export { type AuthService, createAuthService, loadAuthContext, setPassword } from './auth.service.ts';
