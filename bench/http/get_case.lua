-- get_case.lua — wrk script: GET /v1/cases/$AIB_CASE (store read + Cedar check per request).
wrk.method = "GET"
wrk.path = "/v1/cases/" .. os.getenv("AIB_CASE")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("AIB_TOKEN")
