import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AuthenticatedFrame, FullPageSpin } from './features/shell/components/authenticated-frame';
import { HomeRedirect } from './features/shell/components/home-redirect';
import { RequirePermission } from './features/shell/components/require-permission';

// Every page is its own chunk: an agent who only searches customers never downloads the role editor.
const LoginPage = lazy(() => import('./features/auth/pages/login-page').then((m) => ({ default: m.LoginPage })));
const CustomersPage = lazy(() => import('./features/customers/pages/customers-page').then((m) => ({ default: m.CustomersPage })));
const CustomerDetailPage = lazy(() =>
  import('./features/customers/pages/customer-detail-page').then((m) => ({ default: m.CustomerDetailPage })),
);
const TicketsPage = lazy(() => import('./features/tickets/pages/tickets-page').then((m) => ({ default: m.TicketsPage })));
const TicketDetailPage = lazy(() => import('./features/tickets/pages/ticket-detail-page').then((m) => ({ default: m.TicketDetailPage })));
const DispatchPage = lazy(() => import('./features/tickets/pages/dispatch-page').then((m) => ({ default: m.DispatchPage })));
const BoardPage = lazy(() => import('./features/tickets/pages/board-page').then((m) => ({ default: m.BoardPage })));
const IncidentsPage = lazy(() => import('./features/incidents/pages/incidents-page').then((m) => ({ default: m.IncidentsPage })));
const UsersPage = lazy(() => import('./features/users/pages/users-page').then((m) => ({ default: m.UsersPage })));
const RolesPage = lazy(() => import('./features/roles/pages/roles-page').then((m) => ({ default: m.RolesPage })));
const AuditPage = lazy(() => import('./features/audit/pages/audit-page').then((m) => ({ default: m.AuditPage })));
const SlaPoliciesPage = lazy(() => import('./features/settings/pages/sla-policies-page').then((m) => ({ default: m.SlaPoliciesPage })));
const CalendarsPage = lazy(() => import('./features/settings/pages/calendars-page').then((m) => ({ default: m.CalendarsPage })));
const DeskPage = lazy(() => import('./features/desk/pages/desk-page').then((m) => ({ default: m.DeskPage })));
const WallPage = lazy(() => import('./features/wall/pages/wall-page').then((m) => ({ default: m.WallPage })));
const SearchPage = lazy(() => import('./features/search/pages/search-page').then((m) => ({ default: m.SearchPage })));
const ScriptsPage = lazy(() => import('./features/scripts/pages/scripts-page').then((m) => ({ default: m.ScriptsPage })));
const ChannelsPage = lazy(() => import('./features/channels/pages/channels-page').then((m) => ({ default: m.ChannelsPage })));
const IvrDesignerPage = lazy(() => import('./features/ivr/pages/ivr-designer-page').then((m) => ({ default: m.IvrDesignerPage })));
const QueuesPage = lazy(() => import('./features/routing/pages/queues-page').then((m) => ({ default: m.QueuesPage })));
const MyAccountPage = lazy(() => import('./features/account/pages/my-account-page').then((m) => ({ default: m.MyAccountPage })));
const ClassifierPage = lazy(() => import('./features/classify/pages/classifier-page').then((m) => ({ default: m.ClassifierPage })));
const KbPage = lazy(() => import('./features/kb/pages/kb-page').then((m) => ({ default: m.KbPage })));
const BotPage = lazy(() => import('./features/bot/pages/bot-page').then((m) => ({ default: m.BotPage })));
const ArticleEditorPage = lazy(() => import('./features/kb/pages/article-editor-page').then((m) => ({ default: m.ArticleEditorPage })));
const NotFoundPage = lazy(() => import('./features/shell/pages/not-found-page').then((m) => ({ default: m.NotFoundPage })));

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<AuthenticatedFrame />}>
        <Route index element={<HomeRedirect />} />
        <Route path="desk" element={<RequirePermission permission="contact:handle" />}>
          <Route index element={<DeskPage />} />
        </Route>
        <Route path="wall" element={<RequirePermission permission="contact:supervise" />}>
          <Route index element={<WallPage />} />
        </Route>
        <Route path="customers" element={<RequirePermission permission="customer:read" />}>
          <Route index element={<CustomersPage />} />
          <Route path=":id" element={<CustomerDetailPage />} />
        </Route>
        <Route path="tickets" element={<RequirePermission permission="ticket:read" />}>
          <Route index element={<TicketsPage />} />
          <Route path=":id" element={<TicketDetailPage />} />
        </Route>
        <Route path="dispatch" element={<RequirePermission permission="ticket:dispatch" />}>
          <Route index element={<DispatchPage />} />
        </Route>
        <Route path="board" element={<RequirePermission permission="ticket:read" />}>
          <Route index element={<BoardPage />} />
        </Route>
        <Route path="incidents" element={<RequirePermission permission="ticket:read" />}>
          <Route index element={<IncidentsPage />} />
        </Route>
        <Route path="search" element={<RequirePermission permission="kb:read" />}>
          <Route index element={<SearchPage />} />
          <Route path="synonyms" element={<RequirePermission permission="kb:publish" />}>
            <Route index element={<SearchPage />} />
          </Route>
        </Route>
        <Route path="scripts" element={<RequirePermission permission="kb:read" />}>
          <Route index element={<ScriptsPage />} />
        </Route>
        <Route path="bot" element={<RequirePermission permission="kb:read" />}>
          <Route index element={<BotPage />} />
        </Route>
        <Route path="kb" element={<RequirePermission permission="kb:read" />}>
          <Route index element={<KbPage />} />
          <Route path=":id" element={<ArticleEditorPage />} />
        </Route>
        <Route path="admin">
          <Route index element={<Navigate to="/admin/users" replace />} />
          <Route element={<RequirePermission permission="user:read" />}>
            <Route path="users" element={<UsersPage />} />
          </Route>
          <Route element={<RequirePermission permission="role:manage" />}>
            <Route path="roles" element={<RolesPage />} />
          </Route>
          <Route element={<RequirePermission permission="routing:manage" />}>
            <Route path="queues" element={<QueuesPage />} />
          </Route>
          {/* Channels (routing:manage) and the quarantine of unverified inbound mail (contact:handle). */}
          <Route element={<RequirePermission permission="contact:handle" />}>
            <Route path="channels" element={<ChannelsPage />} />
          </Route>
          {/* The IVR designer of a CTI channel: its API needs routing:manage (channel administration). */}
          <Route element={<RequirePermission permission="routing:manage" />}>
            <Route path="channels/:id/ivr" element={<IvrDesignerPage />} />
          </Route>
          <Route element={<RequirePermission permission="audit:read" />}>
            <Route path="audit" element={<AuditPage />} />
          </Route>
          <Route element={<RequirePermission permission="bot:manage" />}>
            <Route path="classifier" element={<ClassifierPage />} />
          </Route>
          {/* Readable with ticket:read (the GET endpoints' permission); editing needs sla:manage. */}
          <Route element={<RequirePermission permission="ticket:read" />}>
            <Route path="sla-policies" element={<SlaPoliciesPage />} />
            <Route path="calendars" element={<CalendarsPage />} />
          </Route>
        </Route>
        <Route path="me" element={<MyAccountPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
    </Suspense>
  );
}
