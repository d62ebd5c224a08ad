-- authorize.lua — wrk script: POST /v1/cedar/authorize with one request and its two entities
-- (a partner nation's reviewer reading a case released to it). Token from AIB_TOKEN.
wrk.method = "POST"
wrk.path = "/v1/cedar/authorize"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("AIB_TOKEN")
wrk.body = '{"principal":{"type":"Person","id":"p"},"action":{"type":"Action","id":"case.read"},' ..
  '"resource":{"type":"Case","id":"c"},"entities":[' ..
  '{"uid":{"type":"Person","id":"p"},"attrs":{"nation":"GBR","role":"reviewer"},"parents":[]},' ..
  '{"uid":{"type":"Case","id":"c"},"attrs":{"nation":"USA","released_to":["GBR","AUS"],' ..
  '"type":"export_licence","stage":"ddtc-review","closed":false},"parents":[]}]}'
