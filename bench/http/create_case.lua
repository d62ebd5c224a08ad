-- create_case.lua — wrk script: POST /v1/cases; every 201 is a durably committed case.
wrk.method = "POST"
wrk.path = "/v1/cases"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("AIB_TOKEN")
wrk.body = '{"type":"export_licence","subtype":"DSP-5","title":"bench","fields":{"destination":"GBR"}}'
