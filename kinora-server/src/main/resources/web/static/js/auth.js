// Sign in and sign up. The server answers with an httpOnly session cookie, never a token this code can read.
import { api, page } from './app.js';

const form = document.getElementById('auth-form');
const error = document.getElementById('form-error');
const mode = form.dataset.mode;
const switchLink = document.getElementById('switch-link');
if (page.next && page.next !== '/') switchLink.href += '?next=' + encodeURIComponent(page.next);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const username = form.username.value.trim();
  const password = form.password.value;
  try {
    if (mode === 'signup') {
      await api('/api/v1/auth/register', { method: 'POST', body: { username, email: form.email.value.trim(), password, birth_date: form.birth_date?.value || null } });
    }
    await api('/api/v1/auth/session', { method: 'POST', body: { username, password } });
    location.assign(page.next || '/');
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    button.disabled = false;
  }
});
