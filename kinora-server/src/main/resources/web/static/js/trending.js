// Trending: the videos with the most recent views, decayed over time.
import { api, fillGrid } from './app.js';

const status = document.getElementById('feed-status');
status.textContent = 'Loading…';
api('/api/v1/trending?limit=48').then((res) => {
  status.textContent = '';
  document.getElementById('feed-empty').hidden = fillGrid(document.getElementById('grid'), res.items) > 0;
}).catch((e) => { status.textContent = e.message; });
