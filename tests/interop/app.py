"""The Python side of the interop test: a FastAPI app whose handler calls the upstream with
httpx, set up with Timetracer 1.6.0 (mode, cassette and the rest come from TIMETRACER_*)."""
import os

import httpx
from fastapi import FastAPI
from timetracer.integrations.fastapi import auto_setup

UPSTREAM = os.environ["UPSTREAM_URL"].rstrip("/")

app = FastAPI()


@app.get("/users/{user_id}")
async def user(user_id: str):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{UPSTREAM}/users/{user_id}")
    return {"user": response.json(), "upstream_status": response.status_code}


auto_setup(app, plugins=["httpx"])
