# The Shinko server as an image, for docker-compose.yml (cluster mode). Not used by the tests.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 is built from source here (python3, make and g++ are in this image).
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8787 DATA_DIR=/var/lib/shinko
EXPOSE 8787
# What `npm start` runs, without the build step (done above).
CMD ["node", "--max-semi-space-size=2", "--enable-source-maps", "dist/server.js"]
