// temp helper (not committed): node .shot-tmp.mjs PUBLIC urlpath width scheme y h out
import puppeteer from 'puppeteer-core';
import fs from 'node:fs'; import path from 'node:path';
const [pub, p, w, scheme, y, h, out, media] = process.argv.slice(2);
const b = await puppeteer.launch({executablePath:'/usr/bin/chromium', headless:true, args:['--no-sandbox','--disable-gpu']});
const page = await b.newPage();
await page.setRequestInterception(true);
page.on('request', r => { const u = new URL(r.url()); let f = path.join(pub, decodeURIComponent(u.pathname)); if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f,'index.html');
  if (fs.existsSync(f)) r.respond({status:200, contentType: f.endsWith('.css')?'text/css':'text/html', body: fs.readFileSync(f)}); else r.respond({status:404, body:''}); });
await page.setViewport({width:+w, height:900});
await page.emulateMediaFeatures([{name:'prefers-color-scheme', value:scheme}]);
if (media) await page.emulateMediaType(media);
await page.goto((process.env.BASE||"https://example.org")+p);
if (process.env.FOCUS) { for (let i=0;i<+process.env.FOCUS;i++) await page.keyboard.press('Tab'); }
if (process.env.OPEN) await page.evaluate(()=>document.querySelectorAll('details').forEach(d=>d.open=true));
await page.screenshot({path: out, clip:{x:0, y:+y, width:+w, height:+h}, captureBeyondViewport:true});
await b.close();
