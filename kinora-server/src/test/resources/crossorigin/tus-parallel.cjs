// Uploads a file with the real tus-js-client in Node, in parallel pieces (tus concatenation).
// Usage: node tus-parallel.cjs <endpoint> <token> <file> <parallelUploads>
// Prints one JSON line: {"url": final upload URL, "videoId": Kinora-Video-Id of the final upload}.
const tus = require('tus-js-client');
const fs = require('fs');

const [endpoint, token, file, parallel] = process.argv.slice(2);
const data = fs.readFileSync(file);
let videoId = null;
let requests = 0;
const upload = new tus.Upload(data, {
  endpoint,
  parallelUploads: Number(parallel),
  headers: { Authorization: 'Bearer ' + token },
  metadata: { filename: 'parallel.mp4', title: 'Sent in parallel pieces' },
  retryDelays: [],
  onAfterResponse(req, res) {
    requests++;
    // Only the final upload is a video; the pieces must not carry one.
    const id = res.getHeader('Kinora-Video-Id');
    if (id && req.getMethod() === 'POST' && String(req.getHeader('Upload-Concat') || '').startsWith('final;')) videoId = id;
    else if (id && req.getHeader('Upload-Concat') === 'partial') {
      console.error('a partial upload answered with a video id: ' + id);
      process.exit(3);
    }
  },
  onError(error) {
    console.error(String(error));
    process.exit(2);
  },
  onSuccess() {
    console.log(JSON.stringify({ url: upload.url, videoId, requests }));
  },
});
upload.start();
