import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { openStore } from './src/store/index.js';
const store = await openStore({ url: 'sqlite:/tmp/eqp/y.db' }); await store.migrate(); await store.tenants.create({id:'t',slug:'t',name:'t'}); await store.close();
const db = new BetterSqlite3('/tmp/eqp/y.db'); db.pragma('foreign_keys = ON'); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
const cols = ['id','tenant_id','email','email_normalized','first_name','last_name','birth_date','gender','employee_number','job_title','department','location','phone_number','contract_type','first_hired_on','current_hired_on','leaving_date','active','manager_id','integration_id','source_id','created_at','updated_at'];
const n = 1300;
const row = '(' + cols.map(() => '?').join(',') + ')';
const sqlText = `insert into users (${cols.join(',')}) values ${Array(n).fill(row).join(',')} on conflict (id) do nothing`;
let total = 0, k = 0;
for (let mode of ['upsert', 'plain']) {
  const q = mode === 'upsert' ? sqlText : sqlText.replace(' on conflict (id) do nothing', '');
  let s = Date.now(); let prep = 0;
  db.exec('begin');
  for (let c = 0; c < 15; c++) {
    const params: unknown[] = [];
    for (let i = 0; i < n; i++) { k++; params.push(randomUUID(), 't', `u${k}@x`, `u${k}@x`, 'F', null,null,null,null,null,null,null,null,null,null,null,null, 1, null, 'int', String(k), 'now', 'now'); }
    const p0 = Date.now(); const st = db.prepare(q); prep += Date.now() - p0;
    st.run(params);
  }
  db.exec('commit');
  console.log(mode, Date.now() - s, 'prepare', prep);
}
