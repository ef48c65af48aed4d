/** Routes. Every screen is its own chunk, so the first load of a board fetches only the board. */
import { Route, Router } from '@solidjs/router';
import { lazy, type JSX } from 'solid-js';
import { ApiProvider } from './api/context';
import { SessionProvider } from './session/session';
import { RequireUser } from './session/require-user';
import { ToastProvider } from './ui/toast';

const Login = lazy(() => import('./routes/login'));
const Signup = lazy(() => import('./routes/signup'));
const Boards = lazy(() => import('./routes/boards'));
const Invite = lazy(() => import('./routes/invite'));
const Board = lazy(() => import('./routes/board'));
const Account = lazy(() => import('./routes/account'));
const Review = lazy(() => import('./routes/review'));
const NotFound = lazy(() => import('./routes/not-found'));

function Shell(props: { children?: JSX.Element }) {
  return (
    <ApiProvider>
      <SessionProvider>
        <ToastProvider>{props.children}</ToastProvider>
      </SessionProvider>
    </ApiProvider>
  );
}

export function App() {
  return (
    <Router root={Shell}>
      <Route path="/login" component={Login} />
      <Route path="/signup" component={Signup} />
      <Route path="/invite/:token" component={Invite} />
      <Route path="/review/:secret" component={Review} />
      <Route path="/" component={() => <RequireUser><Boards /></RequireUser>} />
      <Route path="/boards/:boardId" component={() => <RequireUser><Board /></RequireUser>} />
      <Route path="/account" component={() => <RequireUser><Account /></RequireUser>} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}
