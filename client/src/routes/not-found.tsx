import { A } from '@solidjs/router';

export default function NotFound() {
  return (
    <main class="auth-page">
      <div class="card">
        <h1>Page not found</h1>
        <p>
          <A href="/">Go to your boards</A>
        </p>
      </div>
    </main>
  );
}
